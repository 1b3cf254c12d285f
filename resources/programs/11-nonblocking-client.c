#ifndef PORT
#define PORT 5000
#endif

/*
 * A client on a non-blocking socket: connect() returns -1 with EINPROGRESS, poll() says
 * when the connection is made (writable), getsockopt(SO_ERROR) whether it succeeded. Then
 * it waits with poll() for the server's greeting, answers and closes.
 * (Lesson 11-nonblocking.)
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
    int err = 0;
    socklen_t len = sizeof err;

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("socket");
        return 1;
    }
    int flags = fcntl(fd, F_GETFL, 0);
    fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(PORT);
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        if (errno != EINPROGRESS) {
            perror("connect");
            return 1;
        }
        printf("connect: EINPROGRESS, the handshake goes on\n");
    }

    pfd.fd = fd;
    pfd.events = POLLOUT; /* writable: the handshake is over */
    if (poll(&pfd, 1, -1) < 0) {
        perror("poll");
        return 1;
    }
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) {
        printf("connect failed: %s\n", strerror(err));
        return 1;
    }
    printf("connected\n");

    pfd.events = POLLIN; /* the server's greeting */
    if (poll(&pfd, 1, -1) < 0) {
        perror("poll");
        return 1;
    }
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
        perror("read");
        return 1;
    }
    printf("read %zd bytes: %.*s", n, (int)n, buf);
    if (write(fd, "thanks\n", 7) < 0) {
        perror("write");
        return 1;
    }
    close(fd);
    return 0;
}
