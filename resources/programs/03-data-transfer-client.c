#ifndef PORT
#define PORT 5000
#endif

/*
 * A client that sends a request and reads the answer, sends and reads once more, then
 * writes 16 MB that nobody reads. (Lesson 03-data-transfer.)
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

int main(void)
{
    static char big[16777216]; /* 16 MB */
    struct sockaddr_in addr;
    char buf[1024];
    ssize_t n, w;

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("socket");
        return 1;
    }
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(PORT);
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        perror("connect");
        return 1;
    }
    printf("connected\n");

    w = write(fd, "hello", 5);
    if (w < 0) {
        perror("write");
        return 1;
    }
    printf("wrote %zd bytes\n", w);

    n = read(fd, buf, sizeof buf);
    if (n < 0) {
        perror("read");
        return 1;
    }
    printf("read %zd bytes: %.*s\n", n, (int)n, buf);

    w = write(fd, "from client", 11);
    if (w < 0) {
        perror("write");
        return 1;
    }
    printf("wrote %zd bytes\n", w);

    n = read(fd, buf, sizeof buf);
    if (n < 0) {
        perror("read");
        return 1;
    }
    printf("read %zd bytes: %.*s\n", n, (int)n, buf);

    /* 16 MB at once, and nobody reads them: write() waits while the buffers are full. */
    memset(big, 'x', sizeof big);
    w = write(fd, big, sizeof big);
    if (w < 0) {
        perror("write");
        return 1;
    }
    printf("wrote %zd bytes\n", w);
    return 0;
}
