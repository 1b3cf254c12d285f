#ifndef PORT
#define PORT 5000
#endif

/*
 * A second server that wants the port the first one already listens on: its bind()
 * fails with EADDRINUSE. (Lesson 01-server-setup.)
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

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("socket");
        return 1;
    }
    printf("socket() gave descriptor %d\n", fd);

    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(PORT); /* the port the first server listens on */
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        perror("bind"); /* bind: Address already in use */
        return 1;
    }
    printf("bound to 127.0.0.1:%d\n", PORT);
    return 0;
}
