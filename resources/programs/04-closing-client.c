#ifndef PORT
#define PORT 5000
#endif

/*
 * A client for two closes. Round one: it connects and closes at once. Round two: it
 * writes a megabyte the server does not read, so that its FIN waits behind those bytes,
 * then sends its FIN (shutdown) and reads the server's. (Lesson 04-closing.)
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

int main(void)
{
    static char big[1000000];
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
        perror("connect");
        return 1;
    }
    printf("connected\n");
    close(fd);

    /* Round two: a FIN that waits behind a megabyte. */
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("socket");
        return 1;
    }
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        perror("connect");
        return 1;
    }
    printf("connected again\n");
    memset(big, 'x', sizeof big);
    w = write(fd, big, sizeof big); /* the server is not reading */
    if (w < 0) {
        perror("write");
        return 1;
    }
    printf("wrote %zd bytes\n", w);
    if (shutdown(fd, SHUT_WR) < 0) /* FIN, queued behind those bytes */
        perror("shutdown");
    n = read(fd, buf, sizeof buf);
    if (n < 0)
        perror("read");
    else
        printf("read %zd bytes\n", n); /* 0: the server's FIN */
    close(fd);
    return 0;
}
