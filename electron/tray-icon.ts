/** The tray icon (32×32 PNG, the app icon's design), inlined so the bundle needs no asset files. */
export const TRAY_ICON_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAYAAABzenr0AAAAWUlEQVR42mNgQAOqya//0xIz4AK0thivQ+htOYYjBtQBA2U53BGjDhh1ACEF1ACjDhhNhKO5YNQBo4lwaDug7f0aOB6QNDDqgNFEOPwdMNozGhSd04HsngMACJ9eFQYXNd4AAAAASUVORK5CYII=';
