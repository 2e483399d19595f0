#!/bin/bash
# deb/rpm post-remove: take away the two links after-install.sh made, and only those.
# An upgrade (deb: "upgrade", rpm: 1 package left) keeps them; the new post-install relinks.
case "$1" in upgrade|1) exit 0 ;; esac
for link in '/usr/bin/${executable}' '/usr/bin/hypha'; do
  case "$(readlink "$link" 2>/dev/null)" in
    '/opt/${sanitizedProductName}/'*) rm -f "$link" ;;
  esac
done
