/** Where a command writes: the process's streams, or what a test hands in to read them. */
export interface CommandIo {
    stdout: (text: string) => void;
    stderr: (text: string) => void;
}

export const processIo: CommandIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
};
