-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "code" TEXT NOT NULL,
    "secretHash" TEXT NOT NULL,
    "seed" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ParticipantToken" (
    "sessionId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "participantId" TEXT NOT NULL,

    PRIMARY KEY ("sessionId", "tokenHash"),
    CONSTRAINT "ParticipantToken_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LogEntry" (
    "sessionId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "at" REAL NOT NULL,
    "command" JSONB NOT NULL,

    PRIMARY KEY ("sessionId", "seq"),
    CONSTRAINT "LogEntry_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Session_code_key" ON "Session"("code");

-- CreateIndex
CREATE UNIQUE INDEX "LogEntry_sessionId_key_key" ON "LogEntry"("sessionId", "key");
