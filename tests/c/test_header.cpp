// The header must compile as C++17 and give C linkage to every function.
#include "gumloop.h"

#include <cstring>

static_assert(sizeof(gumloop_code) == 4, "gumloop_code is a 32-bit integer");

int main() {
    gumloop_client *client = nullptr;
    char *out = nullptr;
    gumloop_code code = gumloop_client_new("{}", &client, &out);
    gumloop_string_free(out);
    gumloop_client_free(client);
    return (code == GUMLOOP_OK || std::strlen(gumloop_code_get_name(code)) > 0) ? 0 : 1;
}
