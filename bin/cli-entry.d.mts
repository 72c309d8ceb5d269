export declare const BUNDLE_DIR: string;
export declare function chooseCliEntry(root: string, env?: NodeJS.ProcessEnv): { kind: 'bundle'; file: string } | { kind: 'source'; file: string; reason: string };
