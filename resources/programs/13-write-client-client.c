#ifndef PORT
#define PORT 5000
#endif

/*
 * Your client: write it here, for the server in the other column (its protocol is at the
 * top of its program). The socket and the server's address are ready; fill in 1 to 4,
 * Apply, and Run. (Lesson 13-write-client.)
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
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(PORT);
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);

    /* 1. Connect fd to addr. */

    /* 2. Write one line to the server: some text ending in '\n'. */

    /* 3. Read the server's answer into a buffer, and print it. */

    /* 4. Close fd: the server waits for that. */

    printf("not written yet: fill in 1 to 4\n");
    return 0;
}
