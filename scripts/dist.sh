#!/usr/bin/env bash
# Release artifacts into dist/, from Cargo.lock (--locked), with the `dist` profile (optimised, symbols
# stripped, panics unwinding to the catch at every boundary). Installs what it needs itself
# (scripts/install-cross-tools.sh: rustup targets, zig + cargo-zigbuild, maturin, mingw-w64, ...).
#
#   scripts/dist.sh                         every target this host can build (all five on Linux)
#   scripts/dist.sh linux-x64-gnu win-x64   only these
#
# Targets (docs/PLATFORMS.md has the table):
#   linux-x64-gnu    x86_64-unknown-linux-gnu,  glibc >= 2.17 (zig)   C, wheel manylinux_2_17, npm linux-x64-gnu
#   linux-arm64-gnu  aarch64-unknown-linux-gnu, glibc >= 2.17 (zig)   C, wheel manylinux_2_17, npm linux-arm64-gnu
#   linux-x64-musl   x86_64-unknown-linux-musl (zig)                  C, wheel musllinux_1_2,  npm linux-x64-musl
#   win-x64          x86_64-pc-windows-gnu (mingw-w64)                C (+ MSVC import lib), wheel win_amd64,
#                                                                     npm win32-x64-msvc
#   win-x86          i686-pc-windows-gnu (mingw-w64)                  C (+ MSVC import lib)
#   macos-x64, macos-arm64 (only on a macOS host, untested)           C, wheel macosx, npm darwin-*
#
# Output:
#   dist/c/clickairtime-<version>-<target>.tar.gz (.zip for Windows)   include/, lib/ (bin/ on Windows),
#       pkg-config (relocatable), CMake package, README.md, licences
#   dist/python/clickairtime-<version>-cp39-abi3-<platform>.whl, clickairtime-<version>.tar.gz (sdist)
#   dist/npm/clickairtime-<version>.tgz (main package) and clickairtime-<platform>-<version>.tgz
#   dist/SIZES.md, dist/SHA256SUMS
#
# Switches: DIST_DIR (default dist), DIST_PARTS (default "c python node sdist"; a subset builds less),
#           DIST_KEEP=1 keeps what dist/ already has (scripts/test-dist.sh builds in several calls).
source "$(dirname "$0")/lib.sh"
need_cargo
cd "$ROOT"
T0=$SECONDS

DIST="${DIST_DIR:-$ROOT/dist}"
PARTS=" ${DIST_PARTS:-c python node sdist} "
has_part() { [[ "$PARTS" == *" $1 "* ]]; }
log() { printf '\n== dist: %s\n' "$*" >&2; }

# --- tools -----------------------------------------------------------------------------------------------------
if [[ $(uname -s) == Linux ]]; then
    eval "$(DIST_TOOLS_NO_RUNNERS=${DIST_TOOLS_NO_RUNNERS:-1} scripts/install-cross-tools.sh)"
else
    command -v maturin >/dev/null || python3 -m pip install -q "maturin==1.16.0"
    LLVM_STRIP=""; LLVM_DLLTOOL=""
fi
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
V_MAJOR=${VERSION%%.*}; V_REST=${VERSION#*.}; V_MINOR=${V_REST%%.*}
ABI=$V_MAJOR; [[ $V_MAJOR == 0 ]] && ABI="0.$V_MINOR"          # the SONAME's version (ffi-c/build.rs)
# archive timestamps: the commit's time (not exported: cc-rs build scripts rerun when SOURCE_DATE_EPOCH changes)
STAMP=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}

if [[ $# -gt 0 ]]; then TARGETS=("$@"); elif [[ $(uname -s) == Darwin ]]; then
    TARGETS=(macos-x64 macos-arm64)
else
    TARGETS=(linux-x64-gnu linux-arm64-gnu linux-x64-musl win-x64 win-x86)
fi

[[ "${DIST_KEEP:-0}" == 1 ]] || rm -rf "$DIST"
mkdir -p "$DIST/c" "$DIST/python" "$DIST/npm"
STAGE="$CARGO_TARGET_DIR/dist-stage"
mkdir -p "$STAGE"

# --- per-target facts --------------------------------------------------------------------------------------------
target_info() {
    NAME=$1; ZIG=""; PY=1; NODE=1; WHEEL_COMPAT=()
    case $1 in
        linux-x64-gnu)   TRIPLE=x86_64-unknown-linux-gnu;  ZIG=.2.17; KIND=linux; NPM=linux-x64-gnu; BITS=64
                         WHEEL_COMPAT=(--compatibility manylinux2014)
                         LIBS_PRIVATE="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
                         BUILT_FOR="for Linux x86_64 with glibc 2.17 or newer (RHEL/CentOS 7+, Debian 8+, Ubuntu 14.04+, Amazon Linux 2)" ;;
        linux-arm64-gnu) TRIPLE=aarch64-unknown-linux-gnu; ZIG=.2.17; KIND=linux; NPM=linux-arm64-gnu; BITS=64
                         WHEEL_COMPAT=(--compatibility manylinux2014)
                         LIBS_PRIVATE="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
                         BUILT_FOR="for Linux aarch64 (ARM64) with glibc 2.17 or newer" ;;
        linux-x64-musl)  TRIPLE=x86_64-unknown-linux-musl; ZIG=" "; KIND=linux; NPM=linux-x64-musl; BITS=64
                         WHEEL_COMPAT=(--compatibility musllinux_1_2)
                         LIBS_PRIVATE="-lunwind -lc"
                         BUILT_FOR="for Linux x86_64 with musl libc 1.2 or newer (Alpine 3.13+; static linking anywhere)" ;;
        win-x64)         TRIPLE=x86_64-pc-windows-gnu; KIND=windows; NPM=win32-x64-msvc; BITS=64
                         LIBS_PRIVATE="-lbcrypt -ladvapi32 -lkernel32 -lntdll -luserenv -lws2_32 -ldbghelp"
                         BUILT_FOR="for Windows x64 (10, 11, Server 2016 and newer); Visual Studio and MinGW-w64" ;;
        win-x86)         TRIPLE=i686-pc-windows-gnu; KIND=windows; NPM=""; BITS=32; PY=0; NODE=0
                         LIBS_PRIVATE="-lbcrypt -ladvapi32 -lkernel32 -lntdll -luserenv -lws2_32 -ldbghelp"
                         BUILT_FOR="for Windows x86, 32-bit (10, 11); Visual Studio and MinGW-w64" ;;
        macos-x64)       TRIPLE=x86_64-apple-darwin; KIND=macos; NPM=darwin-x64; BITS=64
                         LIBS_PRIVATE="-framework Security -framework CoreFoundation -liconv -lc -lm"
                         BUILT_FOR="for macOS x86_64" ;;
        macos-arm64)     TRIPLE=aarch64-apple-darwin; KIND=macos; NPM=darwin-arm64; BITS=64
                         LIBS_PRIVATE="-framework Security -framework CoreFoundation -liconv -lc -lm"
                         BUILT_FOR="for macOS arm64 (Apple silicon)" ;;
        *) echo "dist: unknown target '$1' (linux-x64-gnu linux-arm64-gnu linux-x64-musl win-x64 win-x86 macos-x64 macos-arm64)" >&2
           exit 2 ;;
    esac
    OUT="$CARGO_TARGET_DIR/$TRIPLE/dist"
}

# cargo-zigbuild's environment for a target (the zig cc/ar wrappers as CC_*, AR_*, linker ...). Captured once and
# given to plain `cargo build` and to `maturin build` alike, so both compile the dependencies with the same
# settings and share them (maturin's own --zig uses other wrapper paths, and everything is compiled twice).
zig_env() {
    local triple=$1 dump="$STAGE/zigenv-$1.bin" shim="$STAGE/envdump.sh"
    printf '#!/bin/sh\n[ "$1" = build ] && env -0 > "%s"\nexit 0\n' "$dump" > "$shim"
    chmod +x "$shim"
    CARGO="$shim" cargo-zigbuild zigbuild --target "$triple" --profile dist -p clickairtime-ffi >/dev/null
    local kv name u=${triple%%.2.*}; u=${u//-/_}
    while IFS= read -r -d '' kv; do
        name=${kv%%=*}
        case $name in
            CC_"$u"|CXX_"$u"|AR_"$u"|RANLIB_"$u"|CMAKE_TOOLCHAIN_FILE_"$u"|BINDGEN_EXTRA_CLANG_ARGS_"$u"|CARGO_TARGET_*_LINKER|\
            CARGO_ZIGBUILD_*|CARGO_TARGET_APPLIES_TO_HOST|CARGO_UNSTABLE_TARGET_APPLIES_TO_HOST|__CARGO_TEST_CHANNEL_OVERRIDE_DO_NOT_USE_THIS)
                export "${kv?}" ;;
        esac
    done < "$dump"
}

# napi-build wants libnode.dll for *-windows-gnu; the addon resolves napi_* at run time (napi's dyn-symbols),
# so an empty import library stands in for node.
libnode_stub() {
    local d="$STAGE/libnode-$TRIPLE" dlltool=${TRIPLE%%-*}-w64-mingw32-dlltool
    [[ $TRIPLE == i686-* ]] && dlltool=i686-w64-mingw32-dlltool
    if [[ ! -f $d/libnode.dll.a ]]; then
        mkdir -p "$d"
        printf 'LIBRARY node.exe\nEXPORTS\n' > "$d/node.def"
        "$dlltool" -d "$d/node.def" -l "$d/libnode.dll.a"
        : > "$d/libnode.dll"
    fi
    export LIBNODE_PATH="$d"
}

sub() {  # template → file, replacing @KEY@ with the values of the given variables
    local in=$1 out=$2; shift 2
    local script=() k
    for k in "$@"; do script+=(-e "s|@$k@|${!k//|/\\|}|g"); done
    sed "${script[@]}" "$in" > "$out"
}

third_party() {  # crates linked into libclickairtime for this target, with their licences
    echo "# Third-party code in libclickairtime $VERSION ($NAME)"
    echo
    echo "Rust crates compiled into the library (name, version, licence as declared by the crate). The Rust"
    echo "standard library is MIT OR Apache-2.0. libsqlite3-sys bundles SQLite, which is in the public domain."
    echo "ring also contains code under the ISC and OpenSSL-style licences (see its LICENSE)."
    if [[ $TRIPLE == *-musl ]]; then
        echo "lib/libunwind.a is LLVM libunwind from the Rust toolchain: Apache-2.0 WITH LLVM-exception."
    fi
    echo
    echo "| crate | version | licence |"
    echo "|---|---|---|"
    cargo tree --locked -q -p clickairtime-ffi --target "$TRIPLE" -e normal --prefix none -f '{p}|{l}' 2>/dev/null \
        | sed -e 's/ (.*)//' -e 's/ (\*)//' | sort -u | grep -v -e '^clickairtime' -e '^workspace-hack' \
        | awk -F'|' '{ split($1, a, " v"); printf "| %s | %s | %s |\n", a[1], a[2], $2 }'
}

# --- builds ------------------------------------------------------------------------------------------------------
build_target() {
    target_info "$1"
    log "$NAME ($TRIPLE)"
    local t0=$SECONDS pkgs=(-p clickairtime-ffi)
    [[ -n $ZIG ]] && zig_env "${TRIPLE}${ZIG// /}"
    # the musl .so, wheel and addon are dynamic: musl's default crt-static would drop the cdylib (maturin sets the
    # same flag, so the wheel shares these artifacts)
    [[ $TRIPLE == *-musl ]] && export CARGO_ENCODED_RUSTFLAGS="-Ctarget-feature=-crt-static"
    if has_part node && [[ $NODE == 1 && $KIND != windows ]]; then pkgs+=(-p clickairtime-node); fi
    if has_part c || has_part node; then
        nice -n 10 cargo build --locked --profile dist --target "$TRIPLE" "${pkgs[@]}"
    fi
    if has_part node && [[ $NODE == 1 && $KIND == windows ]]; then
        libnode_stub
        nice -n 10 cargo build --locked --profile dist --target "$TRIPLE" -p clickairtime-node --features napi/dyn-symbols
    fi
    if has_part python && [[ $PY == 1 ]]; then
        local old; old=$(wheel_platform_glob)
        # shellcheck disable=SC2086
        rm -f "$DIST"/python/clickairtime-*-$old.whl
        # maturin adds -crt-static for musl itself (to CARGO_ENCODED_RUSTFLAGS, which it would double)
        env -u CARGO_ENCODED_RUSTFLAGS nice -n 10 maturin build --locked -q -m bindings-python/Cargo.toml \
            --profile dist --target "$TRIPLE" "${WHEEL_COMPAT[@]}" --out "$DIST/python" >&2
    fi
    has_part c && package_c
    has_part node && [[ $NODE == 1 ]] && package_npm_platform
    echo "$NAME $((SECONDS - t0))s" >> "$STAGE/timings.txt"
}

wheel_platform_glob() {
    case $NAME in
        linux-x64-gnu) echo "*manylinux*_x86_64" ;; linux-arm64-gnu) echo "*manylinux*_aarch64" ;;
        linux-x64-musl) echo "*musllinux*_x86_64" ;; win-x64) echo "win_amd64" ;; macos-*) echo "macosx_*" ;;
        *) echo "none" ;;
    esac
}

package_c() {
    local pkg="clickairtime-$VERSION-$NAME" d
    d="$STAGE/c/$pkg"
    rm -rf "$d" && mkdir -p "$d/include" "$d/lib/pkgconfig" "$d/lib/cmake/clickairtime"
    cp include/clickairtime.h "$d/include/"
    cp packaging/LICENSE-MIT packaging/LICENSE-APACHE "$d/"
    third_party > "$d/THIRD-PARTY.md"
    local strip=${LLVM_STRIP:-strip} SHARED_FILE SONAME contents usage
    case $KIND in
        linux)
            SHARED_FILE="libclickairtime.so.$VERSION"; SONAME="libclickairtime.so.$ABI"
            cp "$OUT/libclickairtime.so" "$d/lib/$SHARED_FILE"
            ln -s "$SHARED_FILE" "$d/lib/$SONAME"
            ln -s "$SONAME" "$d/lib/libclickairtime.so"
            cp "$OUT/libclickairtime.a" "$d/lib/"
            "$strip" --strip-debug "$d/lib/libclickairtime.a"
            if [[ $TRIPLE == *-musl ]]; then
                # LLVM libunwind (Apache-2.0 WITH LLVM-exception) from Rust's musl sysroot: a fully static link
                # needs an unwinder built for musl, which glibc hosts' libgcc_eh.a is not
                cp "$(rustc --print sysroot)/lib/rustlib/$TRIPLE/lib/self-contained/libunwind.a" "$d/lib/"
            fi
            local musl_file="" musl_static=""
            if [[ $TRIPLE == *-musl ]]; then
                musl_file=$'\n- `lib/libunwind.a` (LLVM libunwind for musl, for fully static programs)'
                musl_static=' (fully static: add `-static -Wl,--eh-frame-hdr`; with musl-gcc on a glibc host pass `lib/libunwind.a` by its path)'
            fi
            contents="- \`include/clickairtime.h\`
- \`lib/$SHARED_FILE\` (SONAME \`$SONAME\`) with the links \`lib/$SONAME\` and \`lib/libclickairtime.so\`
- \`lib/libclickairtime.a\` (static)$musl_file
- \`lib/pkgconfig/clickairtime.pc\`, \`lib/cmake/clickairtime/\` (\`find_package(clickairtime)\`)"
            usage="Shared, with pkg-config (the .pc file is relocatable):

\`\`\`sh
export PKG_CONFIG_PATH=\$PWD/$pkg/lib/pkgconfig
cc -std=c99 app.c \$(pkg-config --cflags --libs clickairtime) -Wl,-rpath,\$(pkg-config --variable=libdir clickairtime)
\`\`\`

Static: \`cc -std=c99 app.c -I$pkg/include $pkg/lib/libclickairtime.a $LIBS_PRIVATE\`$musl_static

CMake: \`cmake -DCMAKE_PREFIX_PATH=\$PWD/$pkg ...\` with \`find_package(clickairtime 0.$V_MINOR CONFIG REQUIRED)\` and
\`target_link_libraries(app PRIVATE clickairtime::clickairtime)\` (or \`clickairtime::static\`).

System-wide: copy \`include/\` and \`lib/\` under /usr/local (keep the links), run \`ldconfig\`."
            ;;
        windows)
            SHARED_FILE=clickairtime.dll; SONAME=clickairtime.dll
            mkdir -p "$d/bin"
            cp "$OUT/clickairtime.dll" "$d/bin/"
            cp "$OUT/libclickairtime.dll.a" "$OUT/libclickairtime.a" "$d/lib/"
            "$strip" --strip-debug "$d/lib/libclickairtime.a"
            write_def "$OUT/clickairtime.dll" > "$d/lib/clickairtime.def"
            local machine=i386:x86-64; [[ $BITS == 32 ]] && machine=i386
            "${LLVM_DLLTOOL:-llvm-dlltool}" -m "$machine" -d "$d/lib/clickairtime.def" -D clickairtime.dll \
                -l "$d/lib/clickairtime.lib"
            contents="- \`include/clickairtime.h\`
- \`bin/clickairtime.dll\` (ships with your program; imports only Windows system DLLs)
- \`lib/clickairtime.lib\`: import library for Visual Studio (\`link.exe\`, clang-cl, lld-link)
- \`lib/libclickairtime.dll.a\`: import library for MinGW-w64 (gcc, clang)
- \`lib/libclickairtime.a\`: static library, MinGW-w64 only
- \`lib/clickairtime.def\`: the exports, to make another import library (\`lib /def:clickairtime.def /machine:$([[ $BITS == 32 ]] && echo x86 || echo x64)\`)
- \`lib/pkgconfig/clickairtime.pc\` (MSYS2 / MinGW), \`lib/cmake/clickairtime/\` (\`find_package(clickairtime)\`)"
            usage="Visual Studio: add \`include\` to *Additional Include Directories*, \`lib\\\\clickairtime.lib\` to *Additional
Dependencies*, and copy \`bin\\\\clickairtime.dll\` next to your .exe. From a Developer Command Prompt:
\`cl /I include app.c lib\\\\clickairtime.lib\`. Build your program for $([[ $BITS == 32 ]] && echo x86 || echo x64), like this archive.

MinGW-w64: \`$([[ $BITS == 32 ]] && echo i686 || echo x86_64)-w64-mingw32-gcc -std=c99 app.c -Iinclude -Llib -lclickairtime\` (uses the DLL),
or static: \`... app.c -Iinclude lib/libclickairtime.a $LIBS_PRIVATE -static -pthread\`.

CMake (either toolchain): \`find_package(clickairtime 0.$V_MINOR CONFIG REQUIRED)\`,
\`target_link_libraries(app PRIVATE clickairtime::clickairtime)\`, and copy the DLL
(\`\$<TARGET_FILE:clickairtime::clickairtime>\`) next to the program."
            ;;
        macos)
            SHARED_FILE="libclickairtime.$ABI.dylib"; SONAME="libclickairtime.$ABI.dylib"
            cp "$OUT/libclickairtime.dylib" "$d/lib/$SHARED_FILE"
            ln -s "$SHARED_FILE" "$d/lib/libclickairtime.dylib"
            cp "$OUT/libclickairtime.a" "$d/lib/"
            strip -S "$d/lib/libclickairtime.a" 2>/dev/null || true
            contents="- \`include/clickairtime.h\`, \`lib/$SHARED_FILE\` (install name \`@rpath/$SONAME\`), \`lib/libclickairtime.a\`
- \`lib/pkgconfig/clickairtime.pc\`, \`lib/cmake/clickairtime/\`"
            usage="\`cc app.c \$(pkg-config --cflags --libs clickairtime) -Wl,-rpath,<dir>/lib\`, or static:
\`cc app.c -Iinclude lib/libclickairtime.a $LIBS_PRIVATE\`."
            ;;
    esac
    local TARGET=$NAME TARGET_KIND=$KIND STATIC_LIBS SIZEOF_VOID_P=$((BITS / 8)) VERSION_MAJOR=$V_MAJOR \
          VERSION_MINOR=$V_MINOR CONTENTS=$contents USAGE=$usage
    STATIC_LIBS=$(sed -e 's/-l//g' -e 's/-framework /-framework;/g' -e 's/ /;/g' <<<"$LIBS_PRIVATE")
    sub packaging/c/clickairtime.pc.in "$d/lib/pkgconfig/clickairtime.pc" VERSION TARGET LIBS_PRIVATE
    sub packaging/c/clickairtime-config.cmake.in "$d/lib/cmake/clickairtime/clickairtime-config.cmake" \
        VERSION TARGET TARGET_KIND SHARED_FILE SONAME STATIC_LIBS
    sub packaging/c/clickairtime-config-version.cmake.in \
        "$d/lib/cmake/clickairtime/clickairtime-config-version.cmake" VERSION VERSION_MAJOR VERSION_MINOR TARGET \
        SIZEOF_VOID_P BITS
    # the multi-line fields go in with python (sed would need escaping of every line)
    CONTENTS=$contents USAGE=$usage VERSION=$VERSION TARGET=$NAME BUILT_FOR=$BUILT_FOR python3 - \
        packaging/c/README.md.in "$d/README.md" <<'PY'
import os, sys
s = open(sys.argv[1]).read()
for k in ("VERSION", "TARGET", "BUILT_FOR", "CONTENTS", "USAGE"):
    s = s.replace("@%s@" % k, os.environ[k])
open(sys.argv[2], "w").write(s)
PY
    local archive
    if [[ $KIND == windows ]]; then
        archive="$DIST/c/$pkg.zip"; rm -f "$archive"
        (cd "$STAGE/c" && STAMP=$STAMP python3 - "$pkg" "$archive" <<'PY'
import os, sys, zipfile, time
src, out = sys.argv[1], sys.argv[2]
stamp = time.gmtime(int(os.environ["STAMP"]))[:6]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in sorted(os.walk(src)):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(root, f)
            info = zipfile.ZipInfo(p, stamp)
            info.external_attr = (0o755 if f.endswith(".dll") else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, open(p, "rb").read())
PY
        )
    else
        archive="$DIST/c/$pkg.tar.gz"
        tar -C "$STAGE/c" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$STAMP" \
            -czf "$archive" "$pkg"
    fi
    echo "dist: $(basename "$archive") ($(du -h "$archive" | cut -f1))" >&2
}

write_def() {  # the DLL's export table as a .def file
    local objdump=x86_64-w64-mingw32-objdump
    command -v "$objdump" >/dev/null || objdump=objdump
    echo "LIBRARY clickairtime.dll"
    echo "EXPORTS"
    "$objdump" -p "$1" | awk '/\[Ordinal\/Name Pointer\] Table/ { on = 1; next } on && /^\t\[/ { print "    " $NF; next } on && !/^\t\[/ { on = 0 }'
}

package_npm_platform() {
    local d="$STAGE/npm/$NPM" node_file
    case $KIND in windows) node_file="$OUT/clickairtime_node.dll" ;; macos) node_file="$OUT/libclickairtime_node.dylib" ;;
        *) node_file="$OUT/libclickairtime_node.so" ;; esac
    rm -rf "$d" && mkdir -p "$d"
    if [[ -d bindings-node/npm/$NPM ]]; then
        cp bindings-node/npm/"$NPM"/package.json bindings-node/npm/"$NPM"/README.md "$d/"
    else  # macOS: written here, not committed (no way to test them on this project's machines)
        node -e '
            const [plat, version] = process.argv.slice(1); const [os, cpu] = plat.split("-")
            console.log(JSON.stringify({ name: `clickairtime-${plat}`, version, license: "MIT OR Apache-2.0",
              main: `clickairtime.${plat}.node`, files: [`clickairtime.${plat}.node`, "LICENSE-MIT", "LICENSE-APACHE"],
              os: [os], cpu: [cpu], engines: { node: ">=20" } }, null, 2))' "$NPM" "$VERSION" > "$d/package.json"
    fi
    cp "$node_file" "$d/clickairtime.$NPM.node"
    cp packaging/LICENSE-MIT packaging/LICENSE-APACHE "$d/"
    node -e 'const p = require(process.argv[1]); if (p.version !== process.argv[2]) { console.error(`npm/${p.name}: version ${p.version}, not ${process.argv[2]}`); process.exit(1) }' \
        "$d/package.json" "$VERSION"
    (cd "$d" && npm pack --silent --pack-destination "$DIST/npm" >/dev/null)
    echo "dist: npm clickairtime-$NPM-$VERSION.tgz" >&2
}

package_npm_main() {
    local d="$STAGE/npm/main"
    rm -rf "$d" && mkdir -p "$d"
    (cd bindings-node && cp clickairtime.js clickairtime.mjs native.js index.js index.d.ts README.md package.json "$d/")
    cp packaging/LICENSE-MIT packaging/LICENSE-APACHE "$d/"
    # the published main package carries no binary: each platform's addon is an optional dependency, which npm
    # installs only where its os/cpu/libc fit
    node -e '
        const fs = require("fs"); const [file, version] = process.argv.slice(1)
        const p = JSON.parse(fs.readFileSync(file, "utf8"))
        p.files = p.files.filter((f) => !f.endsWith(".node")).concat(["LICENSE-MIT", "LICENSE-APACHE"])
        const plats = ["linux-x64-gnu", "linux-arm64-gnu", "linux-x64-musl", "win32-x64-msvc"]
        p.optionalDependencies = Object.fromEntries(plats.map((t) => [`clickairtime-${t}`, version]))
        delete p.devDependencies; delete p.scripts
        fs.writeFileSync(file, JSON.stringify(p, null, 2) + "\n")' "$d/package.json" "$VERSION"
    (cd "$d" && npm pack --silent --pack-destination "$DIST/npm" >/dev/null)
    echo "dist: npm clickairtime-$VERSION.tgz" >&2
}

# --- run ---------------------------------------------------------------------------------------------------------
: > "$STAGE/timings.txt"
for t in "${TARGETS[@]}"; do ( build_target "$t" ); done
if has_part node; then package_npm_main; fi
if has_part sdist; then
    log "Python sdist"
    rm -f "$DIST"/python/clickairtime-*.tar.gz
    maturin sdist -m bindings-python/Cargo.toml --out "$DIST/python" >&2
fi

# --- sizes and checksums -----------------------------------------------------------------------------------------
python3 - "$DIST" "$CARGO_TARGET_DIR" "$VERSION" <<'PY'
import os, sys, tarfile, zipfile, hashlib
dist, target, version = sys.argv[1:]
rows = []
def add(kind, name, path):
    if os.path.exists(path):
        rows.append((kind, name, os.path.getsize(path)))
for f in sorted(os.listdir(os.path.join(dist, "c"))):
    p = os.path.join(dist, "c", f)
    add("C archive", f, p)
    members = tarfile.open(p).getmembers() if f.endswith(".tar.gz") else zipfile.ZipFile(p).infolist()
    for m in members:
        n = m.name if hasattr(m, "name") else m.filename
        size = m.size if hasattr(m, "size") else m.file_size
        regular = m.isfile() if hasattr(m, "isfile") else not n.endswith("/")
        if regular and (n.endswith((".dll", ".a", ".lib", ".dylib")) or ".so." in n):
            rows.append(("  in it", n.split("/", 1)[1], size))
for sub in ("python", "npm"):
    for f in sorted(os.listdir(os.path.join(dist, sub))):
        add("wheel/sdist" if sub == "python" else "npm", f, os.path.join(dist, sub, f))
with open(os.path.join(dist, "SIZES.md"), "w") as out:
    out.write("| artifact | file | bytes | MiB |\n|---|---|---:|---:|\n")
    for kind, name, size in rows:
        out.write(f"| {kind} | `{name}` | {size:,} | {size / 1048576:.2f} |\n")
with open(os.path.join(dist, "SHA256SUMS"), "w") as out:
    for root, _, files in sorted(os.walk(dist)):
        for f in sorted(files):
            p = os.path.join(root, f)
            if f in ("SHA256SUMS", "SIZES.md"):
                continue
            out.write(f"{hashlib.sha256(open(p, 'rb').read()).hexdigest()}  {os.path.relpath(p, dist)}\n")
PY
cat "$DIST/SIZES.md" >&2
echo "dist: done in $((SECONDS - T0)) s ($(tr '\n' ' ' < "$STAGE/timings.txt"))" >&2
