/*
 * bench_client.h: the libgumloop client every gumloop bench program makes the same way.
 */
#ifndef GUMLOOP_BENCH_CLIENT_H
#define GUMLOOP_BENCH_CLIENT_H

#include <gumloop.h>

/** A client for BENCH_TOKEN and BENCH_USER against GUMLOOP_BASE_URL and
 *  GUMLOOP_STREAM_BASE_URL; exits with the error document when it cannot be made. */
gumloop_client *bench_make_client(void);

#endif
