/*M!999999\- enable the sandbox mode */ 
-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)
--
-- Host: localhost    Database: portico_seed
-- ------------------------------------------------------
-- Server version	10.11.19-MariaDB-0+deb12u1

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET @OLD_CHARACTER_SET_RESULTS=@@CHARACTER_SET_RESULTS */;
/*!40101 SET @OLD_COLLATION_CONNECTION=@@COLLATION_CONNECTION */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;
/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;
/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;
/*!40111 SET @OLD_SQL_NOTES=@@SQL_NOTES, SQL_NOTES=0 */;

--
-- Table structure for table `seed_archives`
--

DROP TABLE IF EXISTS `seed_archives`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `seed_archives` (
  `id` mediumint(8) unsigned NOT NULL,
  `flag` set('c','h','p','f','s','j','a','b') DEFAULT NULL,
  `title` char(60) NOT NULL DEFAULT '',
  `pubdate` int(10) unsigned NOT NULL DEFAULT 0,
  `score` decimal(6,2) DEFAULT NULL,
  `data` blob DEFAULT NULL,
  `body` mediumtext DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `seed_archives`
--

LOCK TABLES `seed_archives` WRITE;
/*!40000 ALTER TABLE `seed_archives` DISABLE KEYS */;
INSERT INTO `seed_archives` VALUES
(1,'c,h','园区建设迎来新进展',1609211160,-3.50,'\0�\'\"\\','<p>It\'s a \\ test;\n第二行	(括号)</p>'),
(2,NULL,'空',0,NULL,NULL,''),
(3,'f','第三篇 😀',1609297560,12.00,'x','<a href=\"/plus/view.php?aid=1&amp;x=1\">前文</a><img src=/uploads/1.jpg>');
/*!40000 ALTER TABLE `seed_archives` ENABLE KEYS */;
UNLOCK TABLES;

--
-- Table structure for table `seed_arctype`
--

DROP TABLE IF EXISTS `seed_arctype`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8mb4 */;
CREATE TABLE `seed_arctype` (
  `id` smallint(5) unsigned NOT NULL AUTO_INCREMENT,
  `reid` smallint(5) unsigned NOT NULL DEFAULT 0,
  `typename` char(30) NOT NULL DEFAULT '',
  `typedir` char(60) NOT NULL DEFAULT '',
  `content` text DEFAULT NULL,
  PRIMARY KEY (`id`)
) ENGINE=MyISAM AUTO_INCREMENT=3 DEFAULT CHARSET=gbk COLLATE=gbk_chinese_ci;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `seed_arctype`
--

LOCK TABLES `seed_arctype` WRITE;
/*!40000 ALTER TABLE `seed_arctype` DISABLE KEYS */;
INSERT INTO `seed_arctype` VALUES
(1,0,'新闻中心','{cmspath}/a/news','<p>栏目\"内容\"</p>'),
(2,1,'协会动态','{cmspath}/a/news/xiehui',NULL);
/*!40000 ALTER TABLE `seed_arctype` ENABLE KEYS */;
UNLOCK TABLES;
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;

/*!40101 SET SQL_MODE=@OLD_SQL_MODE */;
/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;
/*!40014 SET UNIQUE_CHECKS=@OLD_UNIQUE_CHECKS */;
/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;
/*!40101 SET CHARACTER_SET_RESULTS=@OLD_CHARACTER_SET_RESULTS */;
/*!40101 SET COLLATION_CONNECTION=@OLD_COLLATION_CONNECTION */;
/*!40111 SET SQL_NOTES=@OLD_SQL_NOTES */;

-- Dump completed on 2026-12-06 14:07:25
