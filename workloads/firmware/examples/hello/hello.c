/* The smallest flecsim firmware: printf over the UART, exit code 0. */
#include <stdio.h>

int main(void) {
  printf("Hello from flecsim\n");
  return 0;
}
