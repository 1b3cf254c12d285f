#ifndef PORT
#define PORT 5000
#endif

/*
 * The classic iterative echo server: it accepts one client, sends back every byte the
 * client sends until the client closes its side (read() returns 0), then closes both
 * sockets.
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
    printf("listening on 127.0.0.1:%d\n", PORT);

    int connfd = accept(listenfd, NULL, NULL);
    if (connfd < 0) {
        perror("accept");
        return 1;
    }
    printf("accepted a connection\n");

    while ((n = read(connfd, buf, sizeof buf)) > 0) {
        printf("read %zd bytes: %.*s\n", n, (int)n, buf);
        if (write(connfd, buf, n) < 0) {
            perror("write");
            break;
        }
    }
    if (n == 0)
        printf("the client closed its side\n");
    else if (n < 0)
        perror("read");

    close(connfd);
    close(listenfd);
    return 0;
}
