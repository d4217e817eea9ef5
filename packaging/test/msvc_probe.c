/* Links against lib/clickairtime.lib the way MSVC's link.exe does (an MSVC-ABI object from `zig cc -target
 * *-windows-msvc`, linked by lld-link, which accepts what link.exe accepts), with no C runtime: kernel32 and
 * clickairtime.dll are its only imports. Prints ca_version() and exits 0 when the library's version number
 * matches the header's. */
#include "clickairtime.h"

__declspec(dllimport) void *__stdcall GetStdHandle(unsigned long handle);
__declspec(dllimport) int __stdcall WriteFile(void *file, const void *buf, unsigned long len, unsigned long *written,
                                              void *overlapped);
__declspec(dllimport) void __stdcall ExitProcess(unsigned int code);

void __stdcall mainCRTStartup(void) {
    const char *v = ca_version();
    unsigned long n = 0, len = 0;
    while (v[len]) len++;
    WriteFile(GetStdHandle((unsigned long)-11), v, len, &n, 0);
    WriteFile(GetStdHandle((unsigned long)-11), "\n", 1, &n, 0);
    ExitProcess(ca_version_number() == CLICKAIRTIME_VERSION_NUMBER ? 0 : 3);
}
