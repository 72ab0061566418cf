// CLibpq: PostgreSQL's own client library (libpq, Debian's libpq-dev) for the server store.
//
// Nothing is wrapped: libpq's calls are not variadic, so Swift calls them directly.
#ifndef CLIBPQ_H
#define CLIBPQ_H

#include <libpq-fe.h>

#endif
