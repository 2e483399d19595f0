#!/bin/bash
# deb/rpm post-install (electron-builder fills in the ${...} names): the tray app as
# /usr/bin/${executable} and the CLI wrapper as /usr/bin/hypha, which is what a person types.
# The rest is what electron-builder's own template does for Chromium's sandbox and menus.
ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
ln -sf '/opt/${sanitizedProductName}/resources/bin/hypha' '/usr/bin/hypha'

# Chromium needs a setuid sandbox helper only where user namespaces are unavailable.
if [[ -L /proc/self/ns/user ]] && unshare --user true 2>/dev/null; then
  chmod 0755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
else
  chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
fi

if hash update-desktop-database 2>/dev/null; then
  update-desktop-database /usr/share/applications || true
fi
