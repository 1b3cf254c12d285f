#ifndef PORT
#define PORT 5000
#endif

/*
 * A server on non-blocking sockets: accept() and read() return -1 with EAGAIN instead of
 * waiting, and poll() is where the program waits, for the descriptor it names. It greets
 * one client, reads the client's answer, and ends. (Lesson 11-nonblocking.)
 */

#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

int main(void)
{
    struct sockaddr_in addr;
    struct pollfd pfd;
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
    int flags = fcntl(listenfd, F_GETFL, 0);
    fcntl(listenfd, F_SETFL, flags | O_NONBLOCK);

    int connfd = accept(listenfd, NULL, NULL); /* no client yet */
    if (connfd < 0 && errno == EAGAIN)
        printf("accept: EAGAIN, no connection yet\n");

    pfd.fd = listenfd;
    pfd.events = POLLIN; /* readable listening socket: a connection to accept */
    if (poll(&pfd, 1, -1) < 0) {
        perror("poll");
        return 1;
    }
    connfd = accept(listenfd, NULL, NULL);
    if (connfd < 0) {
        perror("accept");
        return 1;
    }
    printf("accepted: descriptor %d\n", connfd);
    flags = fcntl(connfd, F_GETFL, 0); /* accept() does not pass O_NONBLOCK on */
    fcntl(connfd, F_SETFL, flags | O_NONBLOCK);

    n = read(connfd, buf, sizeof buf); /* the client waits for our greeting: nothing yet */
    if (n < 0 && errno == EAGAIN)
        printf("read: EAGAIN, nothing to read yet\n");

    if (write(connfd, "hello\n", 6) < 0) {
        perror("write");
        return 1;
    }
    pfd.fd = connfd;
    pfd.events = POLLIN;
    if (poll(&pfd, 1, -1) < 0) {
        perror("poll");
        return 1;
    }
    n = read(connfd, buf, sizeof buf);
    if (n < 0) {
        perror("read");
        return 1;
    }
    printf("read %zd bytes: %.*s", n, (int)n, buf);
    close(connfd);
    close(listenfd);
    return 0;
}
