/** A small set of stroke icons (24px grid), inline so the build needs no icon font. */
const PATHS = {
  play: 'M7 5v14l12-7z',
  pause: 'M7 5h3v14H7zM14 5h3v14h-3z',
  stop: 'M6 6h12v12H6z',
  undo: 'M9 14L4 9l5-5M4 9h10a6 6 0 010 12h-3',
  redo: 'M15 14l5-5-5-5M20 9H10a6 6 0 000 12h3',
  plus: 'M12 5v14M5 12h14',
  minus: 'M5 12h14',
  close: 'M6 6l12 12M18 6L6 18',
  copy: 'M9 9h10v10H9zM5 15V5h10',
  trash: 'M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3',
  film: 'M4 4h16v16H4zM8 4v16M16 4v16M4 8h4M4 12h4M4 16h4M16 8h4M16 12h4M16 16h4',
  image: 'M4 5h16v14H4zM4 16l5-5 4 4 3-3 4 4M15 9h.01',
  audio: 'M9 18V6l10-2v12M9 18a3 3 0 11-6 0 3 3 0 016 0zM19 16a3 3 0 11-6 0 3 3 0 016 0z',
  upload: 'M12 16V4M7 9l5-5 5 5M4 20h16',
  folder: 'M3 6h6l2 2h10v11H3z',
  folderOpen: 'M3 7h6l2 2h9v2M3 7v12h16l2-8H7l-2 8',
  up: 'M12 19V5M5 12l7-7 7 7',
  scissors: 'M6 9a3 3 0 100-6 3 3 0 000 6zM6 21a3 3 0 100-6 3 3 0 000 6zM20 4L8.1 15.9M14.5 14.5L20 20M8.1 8.1L12 12',
  magnet: 'M6 4v7a6 6 0 0012 0V4h-4v7a2 2 0 01-4 0V4zM6 8h4M14 8h4',
  zoomIn: 'M11 4a7 7 0 110 14 7 7 0 010-14zM21 21l-5-5M11 8v6M8 11h6',
  zoomOut: 'M11 4a7 7 0 110 14 7 7 0 010-14zM21 21l-5-5M8 11h6',
  export: 'M12 4v12M7 11l5 5 5-5M4 20h16',
  jobs: 'M4 6h16M4 12h16M4 18h10',
  toStart: 'M6 5v14M19 5L9 12l10 7z',
  toEnd: 'M18 5v14M5 5l10 7-10 7z',
  frameBack: 'M11 5l-7 7 7 7M20 5l-7 7 7 7',
  frameFwd: 'M13 5l7 7-7 7M4 5l7 7-7 7',
  layers: 'M12 3l9 5-9 5-9-5zM3 13l9 5 9-5',
  grip: 'M9 6h.01M15 6h.01M9 12h.01M15 12h.01M9 18h.01M15 18h.01',
  check: 'M5 12l5 5 9-10',
  alert: 'M12 3l10 18H2zM12 10v5M12 18h.01',
  retry: 'M4 12a8 8 0 0114-5.3L20 9M20 4v5h-5M20 12a8 8 0 01-14 5.3L4 15M4 20v-5h5',
  sparkle: 'M12 3v4M12 17v4M3 12h4M17 12h4M6 6l2.5 2.5M15.5 15.5L18 18M6 18l2.5-2.5M15.5 8.5L18 6',
  storyboard: 'M3 5h8v6H3zM13 5h8v6h-8zM3 13h8v6H3zM13 13h8v6h-8z',
  edit: 'M3 6h18M3 12h18M3 18h18M8 4v4M15 10v4M11 16v4',
  cameo: 'M12 4a4 4 0 110 8 4 4 0 010-8zM4 20a8 8 0 0116 0',
  bin: 'M3 7h18v13H3zM3 7l2-3h14l2 3',
  markIn: 'M8 4v16M8 4h6M8 20h6',
  markOut: 'M16 4v16M16 4h-6M16 20h-6',
  assemble: 'M4 6h6v5H4zM14 6h6v5h-6zM4 15h16M8 11v4M17 11v4',
  info: 'M12 3a9 9 0 110 18 9 9 0 010-18zM12 11v6M12 7.5h.01',
  dice: 'M4 4h16v16H4zM8 8h1v1H8zM15 8h1v1h-1zM11.5 11.5h1v1h-1zM8 15h1v1H8zM15 15h1v1h-1z',
  compare: 'M3 5h8v14H3zM13 5h8v14h-8z',
  remix: 'M4 7h11l-3-3M20 17H9l3 3M17 7a4 4 0 014 4M7 17a4 4 0 01-4-4',
  settings: 'M4 6h9M17 6h3M15 4v4M4 12h3M11 12h9M9 10v4M4 18h11M19 18h1M17 16v4',
  loop: 'M17 3l3 3-3 3M20 6H8a4 4 0 00-4 4v1M7 21l-3-3 3-3M4 18h12a4 4 0 004-4v-1',
  stabilize: 'M12 7a5 5 0 110 10 5 5 0 010-10zM12 2v4M12 18v4M2 12h4M18 12h4M12 11.5v1',
  color: 'M12 3s6 6.5 6 11a6 6 0 01-12 0c0-4.5 6-11 6-11zM9 14.5a3 3 0 003 3',
  speed: 'M4 17a8 8 0 1116 0M12 17l4-6M7 13h.01M12 9h.01M17 13h.01',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 16, className }: { name: IconName; size?: number; className?: string }) {
  const filled = name === 'play' || name === 'pause' || name === 'stop' || name === 'toStart' || name === 'toEnd';
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill={filled ? 'currentColor' : 'none'}
      stroke="currentColor"
      strokeWidth={filled ? 0 : 1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
