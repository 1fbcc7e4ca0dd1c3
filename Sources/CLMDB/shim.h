// The C API of LMDB (Debian liblmdb-dev), exposed to Swift as the CLMDB module.
#include <lmdb.h>
