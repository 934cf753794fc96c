-- CreateTable
CREATE TABLE "Snapshot" (
    "sessionId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" DOUBLE PRECISION NOT NULL,
    "state" TEXT NOT NULL,

    CONSTRAINT "Snapshot_pkey" PRIMARY KEY ("sessionId","seq")
);

-- AddForeignKey
ALTER TABLE "Snapshot" ADD CONSTRAINT "Snapshot_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session"("id") ON DELETE CASCADE ON UPDATE CASCADE;
