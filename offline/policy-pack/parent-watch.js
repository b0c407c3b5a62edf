// Preloaded (node --require) into a child process the CLI starts: ends the child when its parent
// is gone, as after a SIGKILL the parent could not catch (see child-processes.ts). Plain
// JavaScript, so the child needs no TypeScript loader for it.
"use strict";
const parent = Number(process.env.STACKSTATE_AWS_PARENT_PID);
if (Number.isInteger(parent) && parent > 1) {
    const alive = () => {
        if (process.ppid !== parent) return false;
        try {
            process.kill(parent, 0);
            return true;
        } catch (error) {
            return error.code === "EPERM";
        }
    };
    setInterval(() => {
        if (!alive()) process.exit(1);
    }, 500).unref();
}
