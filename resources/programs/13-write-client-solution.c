#ifndef PORT
#define PORT 5000
#endif

/*
 * One client the lesson's server accepts: it connects, sends a line, reads the answer and
 * closes. What a replay of the lesson runs in the student's stead. (Lesson 13-write-client.)
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
    char buf[256];

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
    if (write(fd, "hello, server\n", 14) < 0) {
        perror("write");
        return 1;
    }
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
        perror("read");
        return 1;
    }
    printf("the server said: %.*s", (int)n, buf);
    close(fd);
    return 0;
}
