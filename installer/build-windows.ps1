<#
.SYNOPSIS
  Build the 职帮 Windows installer from a clean checkout:
  virtual environment -> pip install .[build] -> PyInstaller (installer\zhibang.spec)
  -> the built program checked (installer\check_bundle.py) -> makensis (installer\zhibang.nsi).

.DESCRIPTION
  Needs Python 3.11 or newer (64-bit) and NSIS 3 (makensis on PATH or in its default folder).
  The result is dist\zhibang-setup-<version>.exe; the bundle it installs is dist\zhibang.
  Run from any folder:  powershell -ExecutionPolicy Bypass -File installer\build-windows.ps1
  (saved with a UTF-8 byte-order mark so that Windows PowerShell 5.1 reads it as UTF-8)

.PARAMETER Python
  The Python to build the virtual environment with (default: the `py -3` launcher, else python).

.PARAMETER SkipCheck
  Do not run the built program through installer\check_bundle.py (not recommended).
#>
param(
  [string]$Python = "",
  [switch]$SkipCheck
)
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

function Invoke-Checked([string]$What, [scriptblock]$Command) {
  Write-Host "== $What =="
  & $Command
  if ($LASTEXITCODE -ne 0) { throw "$What failed (exit $LASTEXITCODE)" }
}

if (-not $Python) {
  if (Get-Command py -ErrorAction SilentlyContinue) { $Python = "py" } else { $Python = "python" }
}
$PythonArgs = @()
if ($Python -eq "py") { $PythonArgs = @("-3") }
Invoke-Checked "Python 3.11 or newer" {
  & $Python @PythonArgs -c "import struct, sys; sys.exit(0 if sys.version_info >= (3, 11) and struct.calcsize('P') == 8 else 1)"
}

$Venv = Join-Path $Root "build\venv"
if (Test-Path $Venv) { Remove-Item -Recurse -Force $Venv }  # a clean environment every time
Invoke-Checked "virtual environment" { & $Python @PythonArgs -m venv $Venv }
$VenvPython = Join-Path $Venv "Scripts\python.exe"
Invoke-Checked "pip" { & $VenvPython -m pip install --upgrade pip }
Invoke-Checked "the app and PyInstaller" { & $VenvPython -m pip install "${Root}[build]" }

$Dist = Join-Path $Root "dist"
$Work = Join-Path $Root "build\pyinstaller"
$Started = Get-Date
Invoke-Checked "PyInstaller" {
  & $VenvPython -m PyInstaller --noconfirm --clean --distpath $Dist --workpath $Work (Join-Path $Root "installer\zhibang.spec")
}
$Bundle = Join-Path $Dist "zhibang"
$SizeMB = [math]::Round(((Get-ChildItem -Recurse -File $Bundle | Measure-Object -Property Length -Sum).Sum / 1MB), 0)
Write-Host ("bundle: {0} ({1} MB), built in {2:N0} s" -f $Bundle, $SizeMB, ((Get-Date) - $Started).TotalSeconds)

if (-not $SkipCheck) {
  Invoke-Checked "the built program" { & $VenvPython (Join-Path $Root "installer\check_bundle.py") $Bundle }
}

$Version = (& $VenvPython (Join-Path $Root "installer\check_bundle.py") --print-version).Trim()
$Makensis = (Get-Command makensis -ErrorAction SilentlyContinue).Source
if (-not $Makensis) {
  foreach ($dir in @(${env:ProgramFiles(x86)}, $env:ProgramFiles)) {
    if ($dir -and (Test-Path (Join-Path $dir "NSIS\makensis.exe"))) { $Makensis = Join-Path $dir "NSIS\makensis.exe"; break }
  }
}
if (-not $Makensis) { throw "makensis not found: install NSIS 3 (https://nsis.sourceforge.io) or put makensis on PATH" }
$Setup = Join-Path $Dist "zhibang-setup-$Version.exe"
Invoke-Checked "NSIS installer" {
  & $Makensis -V2 -INPUTCHARSET UTF8 "-DVERSION=$Version" "-DBUNDLE_DIR=$Bundle" "-DOUT_FILE=$Setup" (Join-Path $Root "installer\zhibang.nsi")
}
$SetupMB = [math]::Round((Get-Item $Setup).Length / 1MB, 0)
Write-Host "installer: $Setup ($SetupMB MB)"
