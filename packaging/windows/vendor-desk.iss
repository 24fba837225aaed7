; Inno Setup script of the Windows installer of Vendor Desk.
;
; build_installer.py runs it with iscc after PyInstaller, passing the values below with /D, e.g.
;   iscc /DAppVersion=0.1.0 /DSourceDir=dist\Vendor Desk /DOutputDir=dist packaging\windows\vendor-desk.iss
; Per-user install (no administrator rights); the vendor's data folder is left on uninstall.

#ifndef AppName
  #define AppName "Vendor Desk"
#endif
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef AppExe
  #define AppExe "Vendor Desk.exe"
#endif
#ifndef DebugExe
  #define DebugExe "vendor-desk-debug.exe"
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\Vendor Desk"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
; A fixed AppId: upgrades replace the installed version instead of adding a second one.
AppId={{6E4F0D52-3C1B-4E8A-9A57-1D2C0B7F9E41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Vendor Desk engineers
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
OutputDir={#OutputDir}
OutputBaseFilename=VendorDesk-{#AppVersion}-setup
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{group}\{#AppName} (troubleshooting console)"; Filename: "{app}\{#DebugExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
