#ifndef PORT
#define PORT 5000
#endif

/*
 * A server that reads the whole request, up to the client's FIN (read() returns 0), and
 * only then answers and closes. (Lesson 07-half-close.)
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
    ssize_t n, w;

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

    int connfd = accept(listenfd, NULL, NULL);
    if (connfd < 0) {
        perror("accept");
        return 1;
    }
    printf("accepted a connection\n");

    /* Keep reading until the client's FIN: read() returns 0. */
    while ((n = read(connfd, buf, sizeof buf)) > 0)
        printf("read %zd bytes: %.*s", n, (int)n, buf);
    if (n < 0) {
        perror("read");
        return 1;
    }
    printf("read 0 bytes: the client has sent everything\n");

    w = write(connfd, "got all 3 lines", 15);
    if (w < 0) {
        perror("write");
        return 1;
    }
    printf("wrote %zd bytes\n", w);
    close(connfd);
    return 0;
}
