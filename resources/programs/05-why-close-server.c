#ifndef PORT
#define PORT 5000
#endif

/*
 * A server with a leak: in its loop it accepts a client and reads its request, but it
 * never closes connfd. (Lesson 05-why-close.)
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

int main(void)
{
    struct sockaddr_in addr;
    char buf[1024];
    ssize_t n;

    int listenfd = socket(AF_INET, SOCK_STREAM, 0);
    if (listenfd < 0) {
        perror("socket");
        return 1;
    }
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(PORT);
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (bind(listenfd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        perror("bind");
        return 1;
    }
    if (listen(listenfd, 5) < 0) {
        perror("listen");
        return 1;
    }

    for (;;) {
        int connfd = accept(listenfd, NULL, NULL);
        if (connfd < 0) {
            perror("accept");
            return 1;
        }
        printf("accepted a connection: descriptor %d\n", connfd);
        n = read(connfd, buf, sizeof buf); /* 0: the client hung up */
        printf("read %zd bytes\n", n);
        /* handle the request... and forget close(connfd) */
    }
}
