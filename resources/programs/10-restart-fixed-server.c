#ifndef PORT
#define PORT 5000
#endif

/*
 * The restarted server, fixed: SO_REUSEADDR is set before bind(), where bind() checks it,
 * so a restart binds its port while the last connection waits in TIME_WAIT. What a replay
 * of the lesson runs in the student's stead. (Lesson 10-restart.)
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
    int on = 1;

    int listenfd = socket(AF_INET, SOCK_STREAM, 0);
    if (listenfd < 0) {
        perror("socket");
        return 1;
    }
    /* Let a restarted server bind this port at once: before bind(). */
    if (setsockopt(listenfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) < 0) {
        perror("setsockopt");
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
    printf("listening\n");

    int connfd = accept(listenfd, NULL, NULL);
    if (connfd < 0) {
        perror("accept");
        return 1;
    }
    ssize_t n = read(connfd, buf, sizeof buf);
    printf("read %zd bytes\n", n);
    if (write(connfd, "bye\n", 4) < 0) {
        perror("write");
        return 1;
    }
    close(connfd); /* the server closes first */
    close(listenfd);
    printf("done\n");
    return 0;
}
