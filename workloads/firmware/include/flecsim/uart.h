/* UART driver (docs/registers/uart.md). A write to a full TX FIFO is held by the device until
 * a slot frees, so uart_putc never polls. */
#ifndef FLECSIM_UART_H
#define FLECSIM_UART_H
#include "flecsim/mmio.h"
#include "flecsim_platform.h"

#ifdef FLECSIM_HAVE_UART
static inline void uart_putc(char c) {
  mmio_write32(FLECSIM_UART_BASE + FLECSIM_UART_TXDATA, (uint8_t)c);
}
/* Next received byte, or -1 when none has arrived. */
static inline int uart_getc(void) {
  uint32_t v = mmio_read32(FLECSIM_UART_BASE + FLECSIM_UART_RXDATA);
  return (v & FLECSIM_UART_FIFO_FLAG) ? -1 : (int)(v & 0xff);
}
static inline uint32_t uart_status(void) {
  return mmio_read32(FLECSIM_UART_BASE + FLECSIM_UART_STATUS);
}
/* FLECSIM_UART_IE_TX (TX FIFO empty) and/or FLECSIM_UART_IE_RX (data received). */
static inline void uart_irq_enable(uint32_t mask) {
  mmio_write32(FLECSIM_UART_BASE + FLECSIM_UART_IE, mask);
}
#endif
#endif
