/**
 * An endpoint that accepts connections and never answers: what a black-holed proxy or a hung
 * service looks like to a client. On a free loopback port; counts the requests it swallowed.
 */
import { createServer, Socket } from "node:net";
import { AddressInfo } from "node:net";

export interface HangServer {
    endpoint: string;
    /** Connections accepted so far. */
    connections(): number;
    close(): Promise<void>;
}

export async function startHangServer(): Promise<HangServer> {
    const sockets = new Set<Socket>();
    let accepted = 0;
    const server = createServer((socket) => {
        accepted++;
        sockets.add(socket);
        socket.on("data", () => undefined); // read and drop: the request is taken, no answer comes
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        endpoint: `http://127.0.0.1:${port}`,
        connections: () => accepted,
        close: () => new Promise<void>((resolve) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => resolve());
        }),
    };
}
