#define _POSIX_C_SOURCE 200809L
#ifndef PORT
#define PORT 5000
#endif
#ifndef TOTAL
#define TOTAL (100L * 1024 * 1024)
#endif

/* The interpreter benchmark's client: writes TOTAL bytes in 64 KB write() calls from a
 * while loop, then closes. Run by the lab and by gcc. */

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

static char buf[65536];

int main(void)
{
    struct sockaddr_in addr;
    long sent = 0;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    memset(buf, 'a', sizeof buf);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(PORT);
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        perror("connect");
        return 1;
    }
    while (sent < TOTAL) {
        ssize_t n = write(fd, buf, sizeof buf);
        if (n <= 0)
            break;
        sent += n;
    }
    close(fd);
    return 0;
}
