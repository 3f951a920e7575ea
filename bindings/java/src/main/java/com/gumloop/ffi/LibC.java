package com.gumloop.ffi;

import com.sun.jna.Library;
import com.sun.jna.Pointer;

/**
 * The few POSIX calls the engine's waiting thread needs: {@code poll} over the poller's
 * descriptor and a wake-up pipe, and the pipe itself.
 */
interface LibC extends Library {
    /** {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}. */
    int poll(Pointer fds, long nfds, int timeoutMillis);

    /** {@code int pipe(int fds[2])}. */
    int pipe(int[] fds);

    /** {@code ssize_t read(int, void *, size_t)}. */
    long read(int fd, byte[] buffer, long count);

    /** {@code ssize_t write(int, const void *, size_t)}. */
    long write(int fd, byte[] buffer, long count);

    /** {@code int close(int)}. */
    int close(int fd);
}
