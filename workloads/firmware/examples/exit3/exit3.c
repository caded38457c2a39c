/* Exits with code 3: `flecsim fw` must exit with 3 too. */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  printf("exiting with code 3\n");
  exit(3);
}
