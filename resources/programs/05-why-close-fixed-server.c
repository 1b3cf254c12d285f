#ifndef PORT
#define PORT 5000
#endif

/*
 * The leaky server, fixed: it closes connfd after each client.
 *
 * It is loaded into the server that ran 05-why-close-server.c, and goes on with that
 * server's listening socket: the lab keeps an actor's descriptors when it loads a new
 * program, as a process keeps its open descriptors across exec(). So the listening socket
 * is still open, and still descriptor 3. (Lesson 05-why-close.)
 */

#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>

int main(void)
{
    char buf[1024];
    ssize_t n;
    int listenfd = 3; /* still open: the listening socket of the leaky server */

    for (;;) {
        int connfd = accept(listenfd, NULL, NULL);
        if (connfd < 0) {
            perror("accept");
            return 1;
        }
        printf("accepted a connection: descriptor %d\n", connfd);
        n = read(connfd, buf, sizeof buf);
        printf("read %zd bytes\n", n);
        close(connfd); /* the fix */
    }
}
