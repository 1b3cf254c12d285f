#ifndef PORT
#define PORT 5000
#endif

/*
 * An echo server that serves several clients at the same time with poll(): one array of
 * pollfd holds the listening socket and every client's connection, and the server only
 * makes the call that poll() says will not wait. It ends once two clients have come and
 * gone. (Lesson 12-poll-server.)
 */

#include <stdio.h>
#include <string.h>
#include <poll.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#define MAXFDS 8

int main(void)
{
    struct sockaddr_in addr;
    struct pollfd fds[MAXFDS];
    char buf[1024];
    ssize_t n;
    int nfds = 1;
    int served = 0;
    int i;

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
    fds[0].fd = listenfd;
    fds[0].events = POLLIN; /* readable: a connection to accept */
    fds[0].revents = 0;

    while (served < 2) {
        if (poll(fds, nfds, -1) < 0) {
            perror("poll");
            return 1;
        }
        if (fds[0].revents & POLLIN) {
            int connfd = accept(listenfd, NULL, NULL);
            if (connfd < 0) {
                perror("accept");
                return 1;
            }
            printf("accepted descriptor %d\n", connfd);
            if (nfds < MAXFDS) {
                fds[nfds].fd = connfd;
                fds[nfds].events = POLLIN; /* readable: data, or the client's FIN */
                fds[nfds].revents = 0;
                nfds++;
            } else
                close(connfd);
        }
        for (i = 1; i < nfds; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            n = read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                printf("descriptor %d: echo %zd bytes\n", fds[i].fd, n);
                if (write(fds[i].fd, buf, n) < 0)
                    perror("write");
            } else {
                printf("descriptor %d: read() returned %zd, closing\n", fds[i].fd, n);
                close(fds[i].fd);
                fds[i].fd = -1; /* poll() skips a negative descriptor */
                served++;
            }
        }
    }
    printf("served %d clients\n", served);
    close(listenfd);
    return 0;
}
