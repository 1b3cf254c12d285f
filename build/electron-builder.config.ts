/**
 * electron-builder configuration: `npm run dist` builds the packages for the system it runs
 * on (Linux: AppImage and .deb; Windows: NSIS installer; macOS: dmg) into dist/.
 *
 * Layout of the packaged app (app/main/paths.ts resolves it):
 * - out/** (the electron-vite build: main, preload, renderer) and package.json go into
 *   app.asar; the runtime dependencies (ws, zod) come along from node_modules;
 * - resources/lessons and resources/icons are extraResources, beside app.asar, as
 *   <resources>/lessons and <resources>/icons: readable files a teacher can inspect.
 *
 * Loaded by electron-builder (through jiti) and by the packaging tests.
 */
import type { Configuration } from 'electron-builder';

/**
 * Electron fuses flipped in the packaged binary. Only what this app does not use is turned
 * off; test/node/packaging/builder-config.test.ts checks each one.
 */
export const fuses = {
  /** No ELECTRON_RUN_AS_NODE: the binary cannot be used as a plain Node. */
  runAsNode: false,
  /** Cookies on disk encrypted with the OS keychain (the lab sets none, but it costs nothing). */
  enableCookieEncryption: true,
  /** NODE_OPTIONS and NODE_EXTRA_CA_CERTS are ignored. */
  enableNodeOptionsEnvironmentVariable: false,
  /** --inspect and friends are ignored. */
  enableNodeCliInspectArguments: false,
  /** The asar's hash is checked at start (macOS, Windows; a no-op elsewhere). */
  enableEmbeddedAsarIntegrityValidation: true,
  /** Load the app only from app.asar, never from a loose app/ folder placed beside it. */
  onlyLoadAppFromAsar: true,
} as const;

const config: Configuration = {
  appId: 'org.tcplab.desktop',
  productName: 'TCP Lab',
  copyright: 'Copyright © TCP Lab contributors. MIT licence.',
  directories: { output: 'dist', buildResources: 'build' },
  files: ['out/**/*', 'package.json', '!out/**/*.map'],
  extraResources: [
    { from: 'resources/lessons', to: 'lessons', filter: ['**/*'] },
    { from: 'resources/programs', to: 'programs', filter: ['**/*.c'] },
    { from: 'resources/icons', to: 'icons', filter: ['**/*'] },
  ],
  asar: true,
  // No native modules: nothing to rebuild against Electron's headers.
  npmRebuild: false,
  // A local Electron (no download): the same variable the electron package reads.
  electronDist: process.env.ELECTRON_OVERRIDE_DIST_PATH || undefined,
  electronFuses: fuses,
  // Never upload anything from a build.
  publish: null,
  artifactName: 'tcp-lab-${version}-${os}-${arch}.${ext}',
  linux: {
    target: ['AppImage', 'deb'],
    icon: 'build/icon.png',
    category: 'Education',
    executableName: 'tcp-lab',
    synopsis: 'Step through a real TCP client and server on loopback',
    maintainer: 'TCP Lab contributors',
    desktop: { entry: { StartupWMClass: 'TCP Lab', Keywords: 'TCP;socket;network;teaching;' } },
  },
  deb: { priority: 'optional' },
  win: {
    target: ['nsis'],
    icon: 'build/icon.ico',
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
  },
  mac: {
    target: ['dmg'],
    icon: 'build/icon.icns',
    category: 'public.app-category.education',
    hardenedRuntime: true,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
  },
  dmg: { title: 'TCP Lab ${version}' },
};

export default config;
