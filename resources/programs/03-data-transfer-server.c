#ifndef PORT
#define PORT 5000
#endif

/*
 * A server that answers one request (it echoes it back), sends a message of its own, reads
 * one more, and then stops reading that client. (Lesson 03-data-transfer.)
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

    n = read(connfd, buf, sizeof buf);
    if (n < 0) {
        perror("read");
        return 1;
    }
    printf("read %zd bytes: %.*s\n", n, (int)n, buf);

    w = write(connfd, buf, n); /* echo the request back */
    if (w < 0) {
        perror("write");
        return 1;
    }
    printf("wrote %zd bytes back\n", w);

    w = write(connfd, "from server", 11);
    if (w < 0) {
        perror("write");
        return 1;
    }
    printf("wrote %zd bytes\n", w);

    n = read(connfd, buf, sizeof buf);
    if (n < 0) {
        perror("read");
        return 1;
    }
    printf("read %zd bytes: %.*s\n", n, (int)n, buf);

    /* From here on the server stops reading: it is busy elsewhere, waiting in accept() for
       a next client that does not come. connfd stays open and is never read again, so what
       the client sends now piles up in its receive buffer. */
    int next = accept(listenfd, NULL, NULL);
    if (next < 0) {
        perror("accept");
        return 1;
    }
    printf("accepted another connection\n");
    close(next);
    close(connfd);
    close(listenfd);
    return 0;
}
