#ifndef PORT
#define PORT 5000
#endif

/*
 * A server for the client you write. Its protocol, for each client, one after another:
 *   1. the client connects;
 *   2. the client sends one line: some text ending in '\n' (at most 200 bytes);
 *   3. the server answers with the same line in capitals;
 *   4. the client reads the answer and closes; the server's read() returns 0 and it closes.
 * It prints what each client did on its stdout, and goes back to accept() for the next one.
 * (Lesson 13-write-client.)
 */

#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#define LINE_MAX_BYTES 200

/* The index of the first '\n' in s[0..len-1], or -1. */
int newline_at(char *s, int len)
{
    int i;
    for (i = 0; i < len; i++)
        if (s[i] == '\n')
            return i;
    return -1;
}

/* Serve one client on connfd; its number is k. 1 when it followed the protocol to the end. */
int serve(int connfd, int k)
{
    char line[LINE_MAX_BYTES + 1];
    char buf[256];
    int len = 0;
    int nl = -1;
    int i;
    ssize_t n;

    while (nl < 0) {
        if (len == LINE_MAX_BYTES) {
            printf("client %d: no '\\n' in the first %d bytes\n", k, len);
            return 0;
        }
        n = read(connfd, line + len, LINE_MAX_BYTES - len);
        if (n < 0) {
            printf("client %d: read failed: %s\n", k, strerror(errno));
            return 0;
        }
        if (n == 0) {
            printf("client %d: closed before sending a whole line (%d bytes, no '\\n')\n", k, len);
            return 0;
        }
        nl = newline_at(line + len, (int)n);
        if (nl >= 0)
            nl += len;
        len += (int)n;
    }
    printf("client %d: sent a line of %d bytes\n", k, nl + 1);
    if (nl + 1 < len)
        printf("client %d: %d more bytes after the line, ignored\n", k, len - nl - 1);

    for (i = 0; i <= nl; i++)
        if (line[i] >= 'a' && line[i] <= 'z')
            line[i] = line[i] - 'a' + 'A';
    if (write(connfd, line, nl + 1) < 0) {
        printf("client %d: write failed: %s\n", k, strerror(errno));
        return 0;
    }
    printf("client %d: answered %d bytes\n", k, nl + 1);

    n = read(connfd, buf, sizeof buf); /* 0: the client has closed */
    if (n < 0) {
        printf("client %d: read failed: %s\n", k, strerror(errno));
        return 0;
    }
    if (n > 0) {
        printf("client %d: sent %zd more bytes instead of closing\n", k, n);
        return 0;
    }
    return 1;
}

int main(void)
{
    struct sockaddr_in addr;
    int k;
    int done = 0;

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

    for (k = 1;; k++) {
        int connfd = accept(listenfd, NULL, NULL);
        if (connfd < 0) {
            perror("accept");
            return 1;
        }
        printf("client %d: connected\n", k);
        if (serve(connfd, k)) {
            done++;
            printf("client %d: a whole line, the answer, then your close: done (%d so far)\n", k, done);
        }
        close(connfd);
    }
}
