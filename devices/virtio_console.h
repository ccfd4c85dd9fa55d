/*
 * virtio-console (device id 3) as the guest console: port 0 output goes
 * to the host's stdout, host input comes in through virtio_console_input().
 */
#ifndef REALMVM_VIRTIO_CONSOLE_H
#define REALMVM_VIRTIO_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether a virtio console exists (--console virtio). */
bool virtio_console_present(void);

/*
 * Queue host input for the guest.  Bytes wait (up to 4 KiB, the rest is
 * dropped) until the driver offers receive buffers.  Thread-safe; a no-op
 * without a virtio console.
 */
void virtio_console_input(const uint8_t *buf, size_t len);

/* Where guest output goes (default STDOUT_FILENO); for tests. */
void virtio_console_set_output(int fd);

#endif
