#ifndef PORT
#define PORT 5000
#endif

/*
 * A server with the smallest accept queue: listen(listenfd, 1). It welcomes three clients
 * one after another and ends; the lesson holds it before its first accept(), so that the
 * clients pile up in the kernel's queue. (Lesson 09-accept-queue.)
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
    char msg[64];
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
    if (listen(listenfd, 1) < 0) { /* backlog 1 */
        perror("listen");
        return 1;
    }
    printf("listening, backlog 1\n");

    for (i = 1; i <= 3; i++) {
        int connfd = accept(listenfd, NULL, NULL);
        if (connfd < 0) {
            perror("accept");
            return 1;
        }
        printf("accepted client %d: descriptor %d\n", i, connfd);
        int len = snprintf(msg, sizeof msg, "welcome, client %d\n", i);
        if (write(connfd, msg, len) < 0) {
            perror("write");
            return 1;
        }
        close(connfd);
    }
    close(listenfd);
    return 0;
}
