#ifndef PORT
#define PORT 5000
#endif

/*
 * A server: the four calls of every TCP server, socket, bind, listen and accept.
 * (Lessons 01-server-setup and 02-handshake.)
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

    int listenfd = socket(AF_INET, SOCK_STREAM, 0);
    if (listenfd < 0) {
        perror("socket");
        return 1;
    }
    printf("socket() gave descriptor %d\n", listenfd);

    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(PORT);
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (bind(listenfd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        perror("bind");
        return 1;
    }
    printf("bound to 127.0.0.1:%d\n", PORT);

    if (listen(listenfd, 5) < 0) {
        perror("listen");
        return 1;
    }
    printf("listening\n");

    /* A client's handshake happens here, in the kernel, without the program:
       accept() only takes a connection the kernel has already set up. */
    int connfd = accept(listenfd, NULL, NULL);
    if (connfd < 0) {
        perror("accept");
        return 1;
    }
    printf("accepted a connection: descriptor %d\n", connfd);
    return 0;
}
