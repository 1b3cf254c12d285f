/*
 * The benchmark's C reference: a client writes TOTAL bytes to a server on loopback in
 * CHUNK-byte write() calls and the server read()s them in a loop with a CHUNK-byte buffer,
 * as the lab's programs do. Prints the milliseconds the transfer took.
 * Built by bench/throughput.ts with gcc -O2 where gcc is present.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  long total = argc > 1 ? atol(argv[1]) : 100L * 1024 * 1024;
  long chunk = argc > 2 ? atol(argv[2]) : 1024 * 1024;
  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  if (bind(lfd, (struct sockaddr *)&a, sizeof a) < 0 || listen(lfd, 1) < 0 ||
      getsockname(lfd, (struct sockaddr *)&a, &len) < 0) {
    perror("listen");
    return 1;
  }
  char *buf = malloc(chunk);
  memset(buf, 'a', chunk);
  pid_t pid = fork();
  if (pid == 0) {
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&a, sizeof a) < 0) {
      perror("connect");
      _exit(1);
    }
    for (long sent = 0; sent < total;) {
      ssize_t n = write(c, buf, chunk);
      if (n <= 0) _exit(1);
      sent += n;
    }
    close(c);
    _exit(0);
  }
  int s = accept(lfd, NULL, NULL);
  double t0 = now_ms();
  long got = 0;
  while (got < total) {
    ssize_t n = read(s, buf, chunk);
    if (n <= 0) break;
    got += n;
  }
  double ms = now_ms() - t0;
  waitpid(pid, NULL, 0);
  printf("%.3f\n", got == total ? ms : -1.0);
  return 0;
}
