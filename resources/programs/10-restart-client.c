#ifndef PORT
#define PORT 5000
#endif

/*
 * A client that sends a request, reads the answer, and closes once the server has closed
 * (read() returns 0). (Lesson 10-restart.)
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
    if (write(fd, "hi\n", 3) < 0) {
        perror("write");
        return 1;
    }
    n = read(fd, buf, sizeof buf);
    if (n < 0) {
        perror("read");
        return 1;
    }
    printf("read %zd bytes: %.*s", n, (int)n, buf);
    n = read(fd, buf, sizeof buf); /* 0: the server has closed */
    printf("read %zd bytes\n", n);
    close(fd);
    return 0;
}
