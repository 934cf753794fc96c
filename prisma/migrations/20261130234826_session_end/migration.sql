-- AlterTable
ALTER TABLE "Session" ADD COLUMN "endReason" TEXT;
ALTER TABLE "Session" ADD COLUMN "endedAt" DATETIME;
