#ifndef PORT
#define PORT 5000
#endif

/*
 * A server for two closes. Round one: it reads until the client closes, then closes its
 * side. Round two: it sends its FIN first (shutdown), then takes everything the client
 * sends up to the client's FIN, and closes. (Lesson 04-closing.)
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

int main(void)
{
    static char big[1000000];
    struct sockaddr_in addr;
    char buf[1024];
    ssize_t n;
    long total = 0;

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
    n = read(connfd, buf, sizeof buf);
    if (n < 0)
        perror("read");
    else
        printf("read %zd bytes\n", n); /* 0: the client closed its side */
    close(connfd);

    /* Round two: both sides close at once. */
    connfd = accept(listenfd, NULL, NULL);
    if (connfd < 0) {
        perror("accept");
        return 1;
    }
    printf("accepted a second connection\n");
    if (shutdown(connfd, SHUT_WR) < 0) /* the server's FIN leaves at once */
        perror("shutdown");
    while ((n = read(connfd, big, sizeof big)) > 0)
        total += n; /* take everything, up to the client's FIN */
    if (n < 0)
        perror("read");
    printf("read %ld bytes in all, then the client's FIN\n", total);
    close(connfd);
    return 0;
}
