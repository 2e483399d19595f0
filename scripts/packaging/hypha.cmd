@echo off
rem `hypha` in the packaged app on Windows: the CLI, run by Hypha.exe as Node (ELECTRON_RUN_AS_NODE),
rem so it works with no Node installed and never opens a window. Add this folder to PATH.
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\Hypha.exe" "%~dp0..\app.asar\dist\app\main.cjs" %*
