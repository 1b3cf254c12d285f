#ifndef PORT
#define PORT 5000
#endif

/*
 * An echo server that serves two clients one after another: it accepts a client, echoes
 * what the client sends until the client closes (read() returns 0), and goes back to
 * accept() for the next one; then it ends. It has a bug: find it in the kernel's socket
 * table, then fix it here. (Lesson 08-two-clients.)
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
    int served;

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
    printf("listening\n");

    for (served = 1; served <= 2; served++) {
        int connfd = accept(listenfd, NULL, NULL);
        if (connfd < 0) {
            perror("accept");
            return 1;
        }
        printf("client %d: descriptor %d\n", served, connfd);
        while ((n = read(connfd, buf, sizeof buf)) > 0) {
            printf("client %d: echo %zd bytes\n", served, n);
            if (write(connfd, buf, n) < 0) {
                perror("write");
                break;
            }
        }
        printf("client %d: read() returned %zd\n", served, n);
    }
    printf("served two clients\n");
    close(listenfd);
    return 0;
}
