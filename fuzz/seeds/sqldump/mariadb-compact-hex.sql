/*M!999999\- enable the sandbox mode */ 
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
INSERT INTO `seed_archives` VALUES
(1,'c,h','园区建设迎来新进展',1609211160,-3.50,0x00FF27225C,'<p>It\'s a \\ test;\n第二行	(括号)</p>'),
(2,NULL,'空',0,NULL,NULL,''),
(3,'f','第三篇 😀',1609297560,12.00,0x78,'<a href=\"/plus/view.php?aid=1&amp;x=1\">前文</a><img src=/uploads/1.jpg>');
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
INSERT INTO `seed_arctype` VALUES
(1,0,'新闻中心','{cmspath}/a/news','<p>栏目\"内容\"</p>'),
(2,1,'协会动态','{cmspath}/a/news/xiehui',NULL);
