#ifndef PORT
#define PORT 5000
#endif

/*
 * A client that connects too early (nobody listens: ECONNREFUSED), tries again with a new
 * socket, sends a request and reads the answer. (Lesson 06-resets.)
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

    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(PORT);
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("socket");
        return 1;
    }
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        perror("connect"); /* nobody listens there yet */
        close(fd);

        /* Try again once the server listens: a failed connect() leaves a socket that
           cannot be used again, so a new socket. */
        fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0) {
            perror("socket");
            return 1;
        }
        if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
            perror("connect");
            return 1;
        }
    }
    printf("connected\n");

    w = write(fd, "a request nobody reads", 22);
    if (w < 0) {
        perror("write");
        return 1;
    }
    printf("wrote %zd bytes\n", w);

    n = read(fd, buf, sizeof buf);
    if (n < 0) {
        perror("read"); /* read: Connection reset by peer */
        return 1;
    }
    printf("read %zd bytes: %.*s\n", n, (int)n, buf);
    return 0;
}
