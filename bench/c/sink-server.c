#define _POSIX_C_SOURCE 200809L
#ifndef PORT
#define PORT 5000
#endif

/* The interpreter benchmark's server: reads everything the client sends with a 64 KB
 * buffer in a while loop, then prints how many bytes it got. Run by the lab and by gcc. */

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
    long total = 0;
    ssize_t n;
    int one = 1;
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(PORT);
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 1) < 0) {
        perror("listen");
        return 1;
    }
    int cfd = accept(lfd, NULL, NULL);
    while ((n = read(cfd, buf, sizeof buf)) > 0)
        total += n;
    printf("%ld\n", total);
    close(cfd);
    close(lfd);
    return 0;
}
