#ifndef PORT
#define PORT 5000
#endif

/*
 * A client that sends its request, says "I have sent everything" with
 * shutdown(fd, SHUT_WR), and still reads the answer on the half-closed connection.
 * (Lesson 07-half-close.)
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

    w = write(fd, "line 1\nline 2\nline 3\n", 21);
    if (w < 0) {
        perror("write");
        return 1;
    }
    printf("wrote %zd bytes\n", w);

    if (shutdown(fd, SHUT_WR) < 0) { /* "I have sent everything" */
        perror("shutdown");
        return 1;
    }

    n = read(fd, buf, sizeof buf); /* the answer */
    if (n < 0) {
        perror("read");
        return 1;
    }
    printf("read %zd bytes: %.*s\n", n, (int)n, buf);

    n = read(fd, buf, sizeof buf); /* 0: the server's FIN */
    printf("read %zd bytes\n", n);

    /* The last statement: the program ends with this close (main returns 0). */
    close(fd);
}
