; 职帮 installer (NSIS 3, Unicode, Simplified Chinese).
;
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DBUNDLE_DIR=dist\zhibang -DOUT_FILE=zhibang-setup-0.1.0.exe installer\zhibang.nsi
;
; BUNDLE_DIR (absolute: makensis works in this folder) is the one-folder bundle built by installer/zhibang.spec. installer/build-windows.ps1
; runs all of it; installer/build-bundle-linux.sh compiles this script on Linux in CI.
;
; Installs for the current user by default, without administrator rights:
;   program   %LOCALAPPDATA%\Programs\zhibang        (uninstall entry under HKCU)
; or, with /ALLUSERS from an elevated prompt, for every user of the PC:
;   program   %ProgramFiles%\zhibang                 (uninstall entry under HKLM)
; Start-menu folder 职帮 (职帮, 卸载职帮) and a desktop shortcut. /S installs silently; /D=DIR
; (last on the command line) chooses the folder. The data is never in the program folder: the
; database and its backups live in each user's %LOCALAPPDATA%\zhibang\zhibang, which neither an
; upgrade nor the uninstaller touches. Installing over an older version replaces the program
; files only; the new version backs the database up before it migrates it, on its first start.

Unicode true
ManifestDPIAware true
RequestExecutionLevel user

!ifndef VERSION
  !error "VERSION is not defined: makensis -DVERSION=x.y.z (installer/build-windows.ps1 passes it)"
!endif
!ifndef BUNDLE_DIR
  !define BUNDLE_DIR "../dist/zhibang"
!endif
!ifndef OUT_FILE
  !define OUT_FILE "../dist/zhibang-setup-${VERSION}.exe"
!endif
!ifdef NO_COMPRESSION  ; CI: compiles the script over the bundle, quickly
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

!define APP_NAME "职帮"
!define APP_KEY "zhibang"
!define APP_EXE "zhibang.exe"
!define PUBLISHER "职帮"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_KEY}"
!define ICON_FILE "../resources/zhibang.ico"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"

Name "${APP_NAME}"
OutFile "${OUT_FILE}"
BrandingText "${APP_NAME} ${VERSION}"
ShowInstDetails hide
ShowUninstDetails hide

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${PUBLISHER}"

Var AllUsers  ; 1: per-machine install (/ALLUSERS), 0: for the current user

!define MUI_ICON "${ICON_FILE}"
!define MUI_UNICON "${ICON_FILE}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TITLE "欢迎安装 ${APP_NAME} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "职帮是县区工会困难职工帮扶管理软件（离线桌面版）。$\r$\n$\r$\n已安装旧版本时，本程序会在原位置升级，数据不受影响；新版本第一次启动时会先备份数据库再升级数据库结构。$\r$\n$\r$\n请先关闭正在运行的职帮，然后单击“下一步”。"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "现在运行职帮"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "将从下面的文件夹卸载职帮程序。各用户的数据（数据库和备份，位于该用户的 %LOCALAPPDATA%\zhibang\zhibang）会保留，不会删除。"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

!macro UseInstallMode
  ${If} $AllUsers == 1
    SetShellVarContext all
    SetRegView 64
  ${Else}
    SetShellVarContext current
  ${EndIf}
!macroend

Function .onInit
  ${GetParameters} $R0
  StrCpy $AllUsers 0
  ClearErrors
  ${GetOptions} $R0 "/ALLUSERS" $R1
  ${IfNot} ${Errors}
    StrCpy $AllUsers 1
    UserInfo::GetAccountType
    Pop $R2
    ${If} $R2 != "Admin"
      MessageBox MB_ICONSTOP "为本机所有用户安装（/ALLUSERS）需要管理员权限：请以管理员身份运行安装程序。" /SD IDOK
      SetErrorLevel 740
      Quit
    ${EndIf}
  ${EndIf}
  !insertmacro UseInstallMode
  ${If} $INSTDIR == ""  ; not chosen with /D=: the folder of an installed version, else the default
    ${If} $AllUsers == 1
      ReadRegStr $INSTDIR HKLM "${UNINSTALL_KEY}" "InstallLocation"
      ${If} $INSTDIR == ""
        ${If} ${RunningX64}
          StrCpy $INSTDIR "$PROGRAMFILES64\${APP_KEY}"
        ${Else}
          StrCpy $INSTDIR "$PROGRAMFILES\${APP_KEY}"
        ${EndIf}
      ${EndIf}
    ${Else}
      ReadRegStr $INSTDIR HKCU "${UNINSTALL_KEY}" "InstallLocation"
      ${If} $INSTDIR == ""
        StrCpy $INSTDIR "$LOCALAPPDATA\Programs\${APP_KEY}"
      ${EndIf}
    ${EndIf}
  ${EndIf}
FunctionEnd

; An older version's program must not be running while its files are replaced. Windows lets a
; running program be renamed but not deleted: deleting it is the test (it is replaced anyway).
Function CloseRunningProgram
  retry:
  ClearErrors
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\zhibang-cli.exe"
  ${If} ${Errors}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "职帮正在运行。请先关闭职帮（退出前会自动备份），然后单击“重试”。" /SD IDCANCEL IDRETRY retry
    SetErrorLevel 5
    Abort "职帮正在运行，安装已取消。"
  ${EndIf}
FunctionEnd

Section "职帮" SecMain
  SectionIn RO
  Call CloseRunningProgram
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the whole program: files a newer version no longer ships (an old
  ; migration, a library) must not stay behind. The data is elsewhere and is not touched.
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE_DIR}/*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\卸载${APP_NAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0

  ${If} $AllUsers == 1
    WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe" /ALLUSERS'
    WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /ALLUSERS /S'
  ${Else}
    WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
    WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  ${EndIf}
  ${GetSize} "$INSTDIR" "/S=0K" $R1 $R2 $R3
  ${If} $AllUsers == 1
    WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
    WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
    WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
    WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
    WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
    WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" $R1
    WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
    WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${Else}
    WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
    WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
    WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
    WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE}"
    WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
    WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $R1
    WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
    WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${EndIf}
SectionEnd

Function un.onInit
  ${GetParameters} $R0
  StrCpy $AllUsers 0
  ClearErrors
  ${GetOptions} $R0 "/ALLUSERS" $R1
  ${IfNot} ${Errors}
    StrCpy $AllUsers 1
    UserInfo::GetAccountType
    Pop $R2
    ${If} $R2 != "Admin"
      MessageBox MB_ICONSTOP "职帮是为本机所有用户安装的，卸载需要管理员权限：请以管理员身份运行。" /SD IDOK
      SetErrorLevel 740
      Quit
    ${EndIf}
  ${EndIf}
  !insertmacro UseInstallMode
FunctionEnd

Section "Uninstall"
  ; The program only: the database and backups in %LOCALAPPDATA%\zhibang\zhibang stay.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\zhibang-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  Delete "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk"
  Delete "$SMPROGRAMS\${APP_NAME}\卸载${APP_NAME}.lnk"
  RMDir "$SMPROGRAMS\${APP_NAME}"
  ${If} $AllUsers == 1
    DeleteRegKey HKLM "${UNINSTALL_KEY}"
  ${Else}
    DeleteRegKey HKCU "${UNINSTALL_KEY}"
  ${EndIf}
SectionEnd
