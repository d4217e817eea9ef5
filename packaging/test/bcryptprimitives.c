/* Test-only stand-in for Windows' bcryptprimitives.dll, which Debian's Wine 8 lacks (shared notes CROSS.md §1).
 * Rust's standard library imports ProcessPrng from it; without the DLL every Rust program under that Wine
 * exits with code 53 before main. This forwards to RtlGenRandom (advapi32's SystemFunction036), which Wine
 * has. Real Windows 10 and later ship the real DLL: this file is never part of a release. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
