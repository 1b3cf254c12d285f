#ifndef PORT
#define PORT 5000
#endif

/*
 * A server that accepts a client and closes the connection without reading what the
 * client sent: with bytes unread, close() sends a reset (RST), not a FIN.
 * (Lesson 06-resets.)
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

    /* The server never reads what the client sent... */
    close(connfd); /* ...and closes with those bytes still unread */
    printf("closed the connection\n");
    return 0;
}
